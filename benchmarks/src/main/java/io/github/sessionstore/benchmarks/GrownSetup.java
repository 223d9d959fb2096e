package io.github.sessionstore.benchmarks;

import io.github.sessionstore.core.testkit.TomcatNode;

/**
 * A setup run again with bigger sessions: the same nodes and store, each session also holding unchanged
 * {@code String}s and boxed {@code Long}s, so the report shows what a big session costs beside the bounded one.
 */
final class GrownSetup {

    private GrownSetup() {
    }

    /**
     * {@code setup} with every session also holding {@code kb} KB of {@code String}s and boxed {@code Long}s set once
     * and never changed: the same nodes, the same store, a bigger session; named {@code <setup>-<kb>kb}.
     */
    static ServerSetups.Setup of(ServerSetups.Setup setup, int kb) {
        return new ServerSetups.Setup() {
            public String name() {
                return setup.name() + "-" + kb + "kb";
            }

            public String label() {
                return setup.label() + ", sessions grown by " + kb + " KB of unchanged Strings and boxed Longs";
            }

            public boolean shared() {
                return setup.shared();
            }

            public boolean roundRobin() {
                return setup.roundRobin();
            }

            public Backend backend() {
                return setup.backend();
            }

            public ServerSetups.Line line() {
                return setup.line();
            }

            public ServerSetups.Kind kind() {
                return setup.kind();
            }

            public ServerSetups.Shared prepare() throws Exception {
                return setup.prepare();
            }

            public ServerSetups.Counters configure(int node, ServerSetups.Shared shared, TomcatNode.Setup s)
                    throws Exception {
                return setup.configure(node, shared, s);
            }

            public void awaitReady(TomcatNode node) throws Exception {
                setup.awaitReady(node);
            }

            public int grownBytes() {
                return kb * 1024;
            }
        };
    }
}
