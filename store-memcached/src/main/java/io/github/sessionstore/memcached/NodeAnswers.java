package io.github.sessionstore.memcached;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What the copies of a key answered to one operation: issued on every node first (the primary and the backup of a
 * record, say), so that the copies cost one round trip, then awaited in node order against one deadline. A node that
 * fails does not stop the others; the failures are kept, the first with the later ones suppressed in it.
 */
final class NodeAnswers<T> {

    private final List<T> values;
    private final boolean[] answered;
    private IOException failure;

    private NodeAnswers(int size) {
        this.values = new ArrayList<>(size);
        this.answered = new boolean[size];
    }

    /** {@code issue} on each node at once, then the answers. */
    static <T> NodeAnswers<T> of(List<Node> nodes, Function<Node, PendingAnswer<T>> issue, long deadline) {
        List<PendingAnswer<T>> pending = new ArrayList<>(nodes.size());
        for (Node n : nodes) {
            pending.add(issue.apply(n));
        }
        return await(pending, deadline);
    }

    /** The answers to operations already issued. */
    static <T> NodeAnswers<T> await(List<? extends PendingAnswer<T>> pending, long deadline) {
        NodeAnswers<T> a = new NodeAnswers<>(pending.size());
        for (int i = 0; i < pending.size(); i++) {
            try {
                a.values.add(pending.get(i).get(deadline));
                a.answered[i] = true;
            } catch (IOException e) {
                a.values.add(null);
                a.failure = chain(a.failure, e);
            }
        }
        return a;
    }

    /** Whether the {@code i}-th node (or operation) answered. */
    boolean answered(int i) {
        return answered[i];
    }

    /** The answers of the nodes that answered, in node order. */
    List<T> values() {
        List<T> out = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            if (answered[i]) {
                out.add(values.get(i));
            }
        }
        return out;
    }

    boolean any(Predicate<? super T> test) {
        for (T v : values()) {
            if (test.test(v)) {
                return true;
            }
        }
        return false;
    }

    /** What failed, or {@code null}. */
    IOException failure() {
        return failure;
    }

    /** Throws what failed when no node answered. */
    NodeAnswers<T> requireAnswer() throws IOException {
        for (boolean a : answered) {
            if (a) {
                return this;
            }
        }
        if (failure != null) {
            throw failure;
        }
        return this;
    }

    /** {@code first} with {@code next} suppressed in it; either may be {@code null}. */
    static IOException chain(IOException first, IOException next) {
        if (first == null || next == null) {
            return first == null ? next : first;
        }
        first.addSuppressed(next);
        return first;
    }
}
