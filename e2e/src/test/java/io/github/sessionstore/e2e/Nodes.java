package io.github.sessionstore.e2e;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The Tomcat processes of one test, started in parallel and all SIGKILLed by {@link #close()}. */
final class Nodes implements AutoCloseable {

    private final TomcatDistribution distribution;
    private final Path dir;
    private final List<TomcatProcess> all = new ArrayList<>();

    Nodes(TomcatDistribution distribution, Path dir) {
        this.distribution = distribution;
        this.dir = dir;
    }

    /** Launches every node at once, then waits until each serves the webapp. */
    List<TomcatProcess> start(NodeConfig... configs) throws Exception {
        List<TomcatProcess> started = new ArrayList<>();
        for (NodeConfig c : configs) {
            TomcatProcess p = TomcatProcess.launch(distribution, dir.resolve(c.name()), c);
            all.add(p);
            started.add(p);
        }
        for (TomcatProcess p : started) {
            p.awaitReady();
        }
        return started;
    }

    TomcatProcess start(NodeConfig config) throws Exception {
        return start(new NodeConfig[] { config }).get(0);
    }

    /** Launches one node and waits only until Tomcat has started: its webapp is expected to fail. */
    TomcatProcess startServerOnly(NodeConfig config) throws Exception {
        TomcatProcess p = TomcatProcess.launch(distribution, dir.resolve(config.name()), config);
        all.add(p);
        return p.awaitServerStarted();
    }

    @Override
    public void close() {
        all.forEach(TomcatProcess::close);
        all.clear();
    }
}
