package dev.flywheel.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pooled client against the JDK's HTTP server: connections reused, closed ones replaced, bodies whole. */
class KeepAliveHttpClientTest {
    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    private volatile boolean closeAfterAnswer;
    private HttpServer server;
    private KeepAliveHttpClient client;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        // Echoes the body, with the request's X-Echo header as the status.
        server.createContext("/", exchange -> {
            clientPorts.add(exchange.getRemoteAddress().getPort());
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (closeAfterAnswer) exchange.getResponseHeaders().set("Connection", "close");
            exchange.sendResponseHeaders(Integer.parseInt(exchange.getRequestHeaders().getFirst("X-Echo")), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        client = new KeepAliveHttpClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                Duration.ofSeconds(2));
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
    }

    @Test
    void sequentialRequestsShareOneConnection() throws Exception {
        for (int i = 0; i < 20; i++) {
            KeepAliveHttpClient.Response response = post(200, "request " + i);
            assertThat(response.status()).isEqualTo(200);
            assertThat(new String(response.body())).isEqualTo("request " + i);
        }
        assertThat(clientPorts).hasSize(1);
    }

    @Test
    void aConnectionTheServerClosesIsNotReused() throws Exception {
        closeAfterAnswer = true;
        for (int i = 0; i < 5; i++) {
            assertThat(new String(post(400, "closing " + i).body())).isEqualTo("closing " + i);
        }
        assertThat(clientPorts).hasSize(5);
    }

    @Test
    void largeBodiesArriveWhole() throws Exception {
        byte[] large = new byte[3 * 1024 * 1024];
        for (int i = 0; i < large.length; i++) large[i] = (byte) (i * 31);
        KeepAliveHttpClient.Response response = client.post(Map.of("X-Echo", "200"), large, Duration.ofSeconds(10));
        assertThat(response.body()).isEqualTo(large);
    }

    private KeepAliveHttpClient.Response post(int status, String body) throws Exception {
        return client.post(Map.of("X-Echo", Integer.toString(status)), body.getBytes(), Duration.ofSeconds(5));
    }
}
