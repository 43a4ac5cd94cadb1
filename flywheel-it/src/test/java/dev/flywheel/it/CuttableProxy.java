package dev.flywheel.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy a test can cut and heal, standing for a network link between two regions: while cut,
 * nothing listens on its address (a connection is refused, as to an unreachable peer) and every
 * connection through it is closed; healed, it listens on the same address again.
 */
final class CuttableProxy implements AutoCloseable {
    private final InetAddress host;
    private final InetSocketAddress target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket listener;
    private int port;

    /** Listens on {@code host} (a free port) and forwards to {@code target}. */
    CuttableProxy(String host, InetSocketAddress target) throws IOException {
        this.host = InetAddress.getByName(host);
        this.target = target;
        listen();
    }

    /** The URL to give a client (a peer) instead of the target's. */
    String url() {
        return "http://" + host.getHostAddress() + ":" + port;
    }

    /** The link goes down: the address stops listening and every connection through it is closed. */
    synchronized void cut() throws IOException {
        ServerSocket l = listener;
        listener = null;
        if (l != null) l.close();
        for (Socket s : open) closeQuietly(s);
        open.clear();
    }

    /** The link comes back on the same address. */
    synchronized void heal() throws IOException {
        if (listener == null) listen();
    }

    private void listen() throws IOException {
        ServerSocket l = new ServerSocket();
        l.setReuseAddress(true);
        l.bind(new InetSocketAddress(host, port), 50);
        port = l.getLocalPort();
        listener = l;
        Thread.ofVirtual().start(() -> accept(l));
    }

    private void accept(ServerSocket l) {
        while (!l.isClosed()) {
            Socket client;
            try {
                client = l.accept();
            } catch (IOException closed) {
                return;
            }
            Socket server = new Socket();
            try {
                server.connect(target);
            } catch (IOException refused) {
                closeQuietly(client);
                continue;
            }
            open.add(client);
            open.add(server);
            if (listener != l) {  // cut while connecting
                closeQuietly(client);
                closeQuietly(server);
                continue;
            }
            Thread.ofVirtual().start(() -> pump(client, server));
            Thread.ofVirtual().start(() -> pump(server, client));
        }
    }

    /** Copies bytes one way until either side closes, then closes both. */
    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException closed) {
            // the other direction, or cut(), closed it
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        cut();
    }
}
