package io.github.sessionstore.core;

/** For the backends' settings tests: the line start() would fail with, without starting the store. */
public final class RefusedSettings {

    private RefusedSettings() {
    }

    /** Every refused attribute and why (the start's check of the whole configuration included), or {@code null}. */
    public static String of(StoreSettings store) {
        return store.refusedSettings();
    }
}
