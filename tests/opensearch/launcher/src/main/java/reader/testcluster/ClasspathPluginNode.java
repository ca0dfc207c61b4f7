package reader.testcluster;

import java.util.Collection;
import java.util.Map;

import org.opensearch.common.settings.Settings;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;

/**
 * A production node whose modules come from the classpath instead of a modules/ directory.
 * This is what the test framework's MockNode does, without its test-only hooks; MockNode itself
 * cannot be used outside a RandomizedRunner (see pom.xml).
 */
final class ClasspathPluginNode extends Node {

    ClasspathPluginNode(Settings settings, Collection<Class<? extends Plugin>> plugins) {
        super(
            InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), null, () -> settings.get("node.name", "node")),
            plugins,
            true
        );
    }
}
