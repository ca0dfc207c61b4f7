package reader.testcluster;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;

import org.opensearch.common.settings.Setting;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.util.concurrent.ThreadContext;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.plugins.ActionPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.rest.BytesRestResponse;
import org.opensearch.rest.RestChannel;
import org.opensearch.rest.RestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.client.node.NodeClient;

/**
 * HTTP basic authentication for the test cluster, so the reader's wrong-credentials path meets a
 * real 401 from a real node. Off unless {@code -Ereader.basic_auth=user:password} is given. (The
 * security plugin would do the same with TLS certificates and an admin tool, far more than a test
 * needs.)
 */
public final class BasicAuthPlugin extends Plugin implements ActionPlugin {

    static final Setting<String> BASIC_AUTH = Setting.simpleString("reader.basic_auth", Setting.Property.NodeScope);

    private final String expectedHeader;

    public BasicAuthPlugin(Settings settings) {
        String userPassword = BASIC_AUTH.get(settings);
        this.expectedHeader = userPassword.isEmpty()
            ? null
            : "Basic " + Base64.getEncoder().encodeToString(userPassword.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public List<Setting<?>> getSettings() {
        return List.of(BASIC_AUTH);
    }

    @Override
    public UnaryOperator<RestHandler> getRestHandlerWrapper(ThreadContext threadContext) {
        if (expectedHeader == null) {
            return null;
        }
        return handler -> new RestHandler.Wrapper(handler) {
            @Override
            public void handleRequest(RestRequest request, RestChannel channel, NodeClient client) throws Exception {
                if (expectedHeader.equals(request.header("Authorization"))) {
                    super.handleRequest(request, channel, client);
                    return;
                }
                BytesRestResponse response = new BytesRestResponse(
                    RestStatus.UNAUTHORIZED,
                    "application/json; charset=UTF-8",
                    "{\"error\":\"Unauthorized\",\"status\":401}"
                );
                response.addHeader("WWW-Authenticate", "Basic realm=\"reader-test\"");
                channel.sendResponse(response);
            }
        };
    }
}
