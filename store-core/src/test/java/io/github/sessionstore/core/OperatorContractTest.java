package io.github.sessionstore.core;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;

/**
 * The operator features' contract every backend passes: each feature's tests are the default methods of one interface
 * extending {@link FleetFixture}; this class implements them all and supplies the fixture. A backend module adds a
 * leaf class that supplies {@link #newStore()} and starts the server it needs, as for {@link StoreContractTest}.
 */
public abstract class OperatorContractTest implements FleetFixture, AttributeFramingContract, FleetViewContract,
        PrincipalIndexContract, RecordSealContract {

    /** A new store instance over the backend under test. Each call is another node of the same fleet. */
    protected abstract AbstractSessionStore newStore() throws Exception;

    private final List<StoreNode> nodes = new ArrayList<>();

    @Override
    public StoreNode node(Consumer<AbstractSessionStore> settings) throws Exception {
        AbstractSessionStore store = newStore();
        settings.accept(store);
        StoreNode n = new StoreNode(store, "localhost", "/ops");
        if (nodes.isEmpty()) {
            n.store.clear(); // a test starts on an empty namespace
        }
        nodes.add(n);
        return n;
    }

    @Override
    public boolean listsSessions() {
        return true;
    }

    @AfterEach
    void stopNodes() throws Exception {
        try {
            if (!nodes.isEmpty()) {
                nodes.get(0).store.clear();
            }
        } finally {
            for (StoreNode n : nodes) {
                n.close();
            }
            nodes.clear();
        }
    }
}
