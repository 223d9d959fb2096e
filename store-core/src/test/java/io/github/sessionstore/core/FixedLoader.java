package io.github.sessionstore.core;

import java.beans.PropertyChangeListener;

import org.apache.catalina.Context;
import org.apache.catalina.Loader;

/** A Loader that hands out one given class loader (test stand-in for a WebappLoader). */
final class FixedLoader implements Loader {
    private final ClassLoader classLoader;
    private Context context;

    FixedLoader(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    @Override
    public void backgroundProcess() {
    }

    @Override
    public ClassLoader getClassLoader() {
        return classLoader;
    }

    @Override
    public Context getContext() {
        return context;
    }

    @Override
    public void setContext(Context context) {
        this.context = context;
    }

    @Override
    public boolean getDelegate() {
        return false;
    }

    @Override
    public void setDelegate(boolean delegate) {
    }

    @Override
    public void addPropertyChangeListener(PropertyChangeListener listener) {
    }

    @Override
    public boolean modified() {
        return false;
    }

    @Override
    public void removePropertyChangeListener(PropertyChangeListener listener) {
    }
}
