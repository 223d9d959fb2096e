package io.github.sessionstore.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.apache.catalina.session.StandardSession;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.github.sessionstore.core.BenchAccess;
import io.github.sessionstore.core.StoreNode;
import io.github.sessionstore.file.SharedFileStore;
import io.github.sessionstore.core.testkit.ServerProcess;

/**
 * What sealed records cost: a changed session's save and a load through the file store without fsync (so the disk
 * does not hide the CPU cost), plain, compressed ({@code compressThreshold=4096}), encrypted, or both. The payload is
 * text-like (words drawn at random from a small vocabulary), so compression has something to do. The stored record
 * size is printed at tear-down. Run on its own: {@code java -jar benchmarks/target/benchmarks.jar jmh
 * SealingBenchmark}; the one-command comparison does not include it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = { "-Xmx1g", "-Djava.util.logging.config.file=/dev/null" })
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class SealingBenchmark {

    private static final String[] WORDS = { "cart", "item", "price", "user", "locale", "token", "order", "17",
            "2026", "true", "false", "name", "address", "quantity", "currency", "EUR" };

    @Param({ "1024", "16384", "262144" })
    public int size;

    @Param({ "plain", "compress", "encrypt", "encrypt+compress" })
    public String seal;

    private Path work;
    private StoreNode node;
    private StandardSession session;
    private String id;
    private int counter;

    @Setup
    public void setUp() throws Exception {
        Logs.quiet();
        work = Files.createTempDirectory("sessionstore-seal-bench-");
        SharedFileStore store = new SharedFileStore();
        store.setDirectory(work.toString());
        store.setFsync(false);
        if (seal.startsWith("encrypt")) {
            byte[] key = new byte[32];
            new SplittableRandom(42).nextBytes(key);
            store.setEncryptionKeys("bench:" + Base64.getEncoder().encodeToString(key));
        }
        if (seal.endsWith("compress")) {
            store.setCompressThreshold(4096);
        }
        node = new StoreNode(store, "localhost", "/bench-seal");
        session = node.newSession(1800);
        session.setAttribute("payload", text(size));
        session.setAttribute("n", 0);
        id = session.getIdInternal();
        if (!"WRITTEN".equals(BenchAccess.endRequest(node, session)) || node.load(id) == null) {
            throw new IllegalStateException("the session does not round-trip");
        }
    }

    /** About {@code bytes} of text-like content, deterministic per size. */
    static String text(int bytes) {
        SplittableRandom r = new SplittableRandom(bytes);
        StringBuilder sb = new StringBuilder(bytes + 16);
        while (sb.length() < bytes) {
            sb.append(WORDS[r.nextInt(WORDS.length)]).append(r.nextInt(4) == 0 ? '\n' : ' ');
        }
        sb.setLength(bytes);
        return sb.toString();
    }

    @TearDown
    public void tearDown() throws Exception {
        try {
            int stored = node.backend().load(BenchAccess.storageKey(id)).data().length;
            System.out.println("SealingBenchmark size=" + size + " seal=" + seal + ": stored record " + stored
                    + " bytes (plaintext " + BenchAccess.encode(session).length + ")");
            node.close();
        } finally {
            ServerProcess.deleteTree(work);
        }
    }

    @Benchmark
    public void save() {
        session.setAttribute("n", ++counter);
        BenchAccess.endRequest(node, session);
    }

    @Benchmark
    public Object load() throws Exception {
        return node.load(id);
    }
}
