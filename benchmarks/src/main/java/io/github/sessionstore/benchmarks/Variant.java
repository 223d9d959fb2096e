package io.github.sessionstore.benchmarks;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.file.SharedFileStore;

/** Our store as configured by default, or one of the fair variants of the HTTP comparison. */
enum Variant {
    DEFAULT("", "", null),
    /** SharedFileStore fsync=false: like Tomcat's FileStore, which never forces its writes. */
    NO_FSYNC("-nofsync", ", fsync=false (as Tomcat's FileStore, which never fsyncs)", null) {
        @Override
        void configure(AbstractSessionStore store) {
            ((SharedFileStore) store).setFsync(false);
        }
    },
    /** assumeStrictStickiness=true: no per-request version check; beside DEFAULT, what the check costs. */
    STRICT_STICKY("-strictsticky", ", assumeStrictStickiness=true (no per-request version check of the local"
            + " copy)", null) {
        @Override
        void configure(AbstractSessionStore store) {
            store.setAssumeStrictStickiness(true);
        }
    },
    /** nonSticky=true, and every user alternates between the nodes (round-robin load balancing). */
    NON_STICKY("-nonsticky", ", nonSticky=true (lockingMode=optimistic, its default), users alternate between the"
            + " nodes on every request", "optimistic"),
    /** The same without a locking mode: what the optimistic compare-and-set costs. */
    NON_STICKY_NONE("-nonsticky-none", ", nonSticky=true, lockingMode=none, users alternate between the nodes",
            "none"),
    /** The same with the cross-node session lock. */
    NON_STICKY_PESSIMISTIC("-nonsticky-pessimistic", ", nonSticky=true, lockingMode=pessimistic, users alternate"
            + " between the nodes", "pessimistic");

    final String suffix;
    final String label;
    /** {@code null}: sticky sessions. */
    final String lockingMode;

    Variant(String suffix, String label, String lockingMode) {
        this.suffix = suffix;
        this.label = label;
        this.lockingMode = lockingMode;
    }

    /** Apply this variant's settings to one node's store. */
    void configure(AbstractSessionStore store) {
        if (lockingMode != null) {
            store.setNonSticky(true);
            store.setLockingMode(lockingMode);
        }
    }
}
