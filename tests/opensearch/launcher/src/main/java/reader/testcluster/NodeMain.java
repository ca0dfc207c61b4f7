package reader.testcluster;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * One OpenSearch node in this Java process, configured entirely by {@code -Ekey=value} arguments
 * (the same form as OpenSearch's own launcher). The node stops cleanly on SIGTERM/SIGINT; a test
 * that wants a crash sends SIGKILL instead.
 *
 * <p>See {@link ClasspathPluginNode} for why this is not the test framework's MockNode.
 */
public final class NodeMain {

    private NodeMain() {}

    public static void main(String[] args) throws Exception {
        Settings.Builder builder = Settings.builder();
        for (String arg : args) {
            if (!arg.startsWith("-E") || arg.indexOf('=') < 0) {
                System.err.println("usage: NodeMain -Ekey=value ... (got " + arg + ")");
                System.exit(64);
            }
            String pair = arg.substring(2);
            int eq = pair.indexOf('=');
            builder.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        Settings settings = builder.build();
        if (!settings.hasValue("path.home")) {
            System.err.println("NodeMain: -Epath.home=DIR is required");
            System.exit(64);
        }
        LogConfigurator.registerErrorListener();
        LogConfigurator.configureWithoutConfig(settings);

        List<Class<? extends Plugin>> plugins = new ArrayList<>();
        plugins.add(Netty4Plugin.class);
        plugins.add(CommonAnalysisPlugin.class);
        plugins.add(BasicAuthPlugin.class);

        Node node = new ClasspathPluginNode(settings, plugins);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
                node.awaitClose(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }, "node-shutdown"));
        node.start();
        System.out.println("NodeMain: started " + settings.get("node.name"));
        System.out.flush();
        stopped.await();
    }
}
