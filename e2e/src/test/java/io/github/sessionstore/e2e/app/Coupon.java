package io.github.sessionstore.e2e.app;

import java.io.Serializable;

/**
 * A session attribute of a class that only one version of the webapp has: the operator suite deploys a node without
 * it, as during a rolling deploy, to check that it costs only this attribute there.
 */
public record Coupon(String code) implements Serializable {
}
