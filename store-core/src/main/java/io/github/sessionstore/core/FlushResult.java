package io.github.sessionstore.core;

/** What one flush of a session did. */
public enum FlushResult {
    WRITTEN, QUEUED, TOUCHED, SKIPPED, FAILED
}
