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
 * connection through it is closed; healed, it listens on the same address again. It can also cut itself
 * once a number of bytes went through toward the target ({@link #cutAfter}): a link going down in the
 * middle of a transfer, at a point a test chooses without racing it.
 */
final class CuttableProxy implements AutoCloseable {
    private final InetAddress host;
    private final InetSocketAddress target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket listener;
    /** Bytes still allowed toward the target before the link cuts itself; negative: no limit. */
    private final java.util.concurrent.atomic.AtomicLong budget = new java.util.concurrent.atomic.AtomicLong(-1);
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

    /** Whether the link is down (cut, or by its byte limit). */
    boolean isCut() {
        return listener == null;
    }

    /** The link comes back on the same address (without a byte limit). */
    synchronized void heal() throws IOException {
        budget.set(-1);
        if (listener == null) listen();
    }

    /**
     * The link cuts itself when forwarding more than {@code bytes} more bytes toward the target would
     * be needed: the request crossing the limit never arrives whole.
     */
    void cutAfter(long bytes) {
        budget.set(bytes);
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
            Thread.ofVirtual().start(() -> pump(client, server, true));
            Thread.ofVirtual().start(() -> pump(server, client, false));
        }
    }

    /** Copies bytes one way until either side closes, then closes both; {@code toTarget}: the way a byte limit counts. */
    private void pump(Socket from, Socket to, boolean toTarget) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                if (toTarget && !spend(n)) {
                    cut();
                    return;
                }
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

    /** Takes {@code bytes} from the byte limit; false when they exceed what is left of it. */
    private boolean spend(int bytes) {
        while (true) {
            long left = budget.get();
            if (left < 0) return true;
            if (bytes > left) return false;
            if (budget.compareAndSet(left, left - bytes)) return true;
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
