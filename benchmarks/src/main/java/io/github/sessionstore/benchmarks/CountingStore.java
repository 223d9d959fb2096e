package io.github.sessionstore.benchmarks;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.catalina.LifecycleException;
import org.apache.catalina.Manager;
import org.apache.catalina.Session;
import org.apache.catalina.Store;
import org.apache.catalina.session.StoreBase;

/** Tomcat's stores are final; this delegate counts the full writes of one so its writes per request can be shown. */
final class CountingStore extends StoreBase {

    private final StoreBase inner;
    final AtomicLong saves;

    CountingStore(StoreBase inner, AtomicLong saves) {
        this.inner = inner;
        this.saves = saves;
    }

    @Override
    public void setManager(Manager manager) {
        super.setManager(manager);
        inner.setManager(manager);
    }

    @Override
    protected void startInternal() throws LifecycleException {
        inner.start();
        super.startInternal();
    }

    @Override
    protected void stopInternal() throws LifecycleException {
        super.stopInternal();
        inner.stop();
    }

    @Override
    public String[] expiredKeys() throws IOException {
        return inner.expiredKeys();
    }

    @Override
    public int getSize() throws IOException {
        return inner.getSize();
    }

    @Override
    public String[] keys() throws IOException {
        return inner.keys();
    }

    @Override
    public Session load(String id) throws ClassNotFoundException, IOException {
        return inner.load(id);
    }

    @Override
    public void remove(String id) throws IOException {
        inner.remove(id);
    }

    @Override
    public void clear() throws IOException {
        inner.clear();
    }

    @Override
    public void save(Session session) throws IOException {
        inner.save(session);
        saves.incrementAndGet();
    }

    Store inner() {
        return inner;
    }
}
