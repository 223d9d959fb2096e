package io.github.sessionstore.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.sessionstore.core.testkit.ServerProcess;

/**
 * The file store stays inside its shared directory on the newest real distribution: links planted in it (a shard
 * directory, and a directory of the principal index, as in issue 22) point at a directory of old files that every
 * sweep would remove if it were inside. Two nodes serve sessions and sweep every second; nothing outside goes.
 */
class SharedFileConfinementRealTomcatIT extends RealTomcatSuite {

    private static final long TWO_HOURS = 7_200_000;
    private static final int SWEEP_WAIT_SECONDS = 60;

    @Override
    protected StoreFixture newFixture() {
        return new SharedFileStoreFixture();
    }

    Stream<TomcatDistribution> newest() {
        return TomcatDistribution.newest().stream();
    }

    /** The README's context.xml, with the Store's sweep every second (processExpires on each background run). */
    private NodeConfig sweepingNode(String name) {
        String ctx = "<Context backgroundProcessorDelay=\"1\">\n"
                + "  <Manager className=\"org.apache.catalina.session.PersistentManager\""
                + " processExpiresFrequency=\"1\">\n"
                + "    " + fixture.storeElement("") + "\n"
                + "  </Manager>\n"
                + "</Context>\n";
        return NodeConfig.of(name, ctx, fixture.libs());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("newest")
    void aPlantedLinkInTheSharedDirectoryDeletesNothingOutsideIt(TomcatDistribution dist) throws Exception {
        begin(dist);
        Path directory = ((SharedFileStoreFixture) fixture).directory();
        List<TomcatProcess> n = nodes.start(sweepingNode("node1"), sweepingNode("node2"));
        TomcatProcess a = n.get(0);
        TomcatProcess b = n.get(1);
        List<Browser> users = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Browser u = new Browser();
            assertEquals(1, u.get(a.url("/count")).field("count"));
            assertEquals(2, u.get(b.url("/count")).field("count"));
            users.add(u);
        }

        // the namespace directory of the webapp, and a shard no session of the test lives in
        Path ns;
        try (Stream<Path> dirs = Files.list(directory)) {
            ns = dirs.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        Set<String> used;
        try (Stream<Path> shards = Files.list(ns)) {
            used = shards.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
        String freeShard = Stream.iterate(255, i -> i - 1).limit(256).map(i -> String.format("%02x", i))
                .filter(s -> !used.contains(s)).findFirst().orElseThrow();

        Path outside = directory.getParent().resolveSibling("outside");
        ServerProcess.deleteTree(outside);
        Files.createDirectories(outside);
        for (String name : List.of("OLD.session", ".OLD.0123-1.tmp", ".OLD.0123-2.claim", "MARKER1",
                "precious.txt")) {
            Path f = Files.writeString(outside.resolve(name), "not the store's");
            Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis() - TWO_HOURS));
        }
        Map<String, Long> before = snapshot(outside);
        Path shardLink = Files.createSymbolicLink(ns.resolve(freeShard), outside);
        Path indexShard = Files.createDirectories(ns.resolve("principals").resolve("00"));
        Path indexLink = Files.createSymbolicLink(indexShard.resolve("00" + "ab".repeat(31)), outside);
        String shardName = directory.relativize(shardLink).toString();
        String indexName = directory.relativize(indexLink).toString();

        // both nodes keep serving while their sweeps run (a few seconds at least), until each logged both links (each
        // sweep visits every shard) or something outside is gone
        for (int round = 0; round < SWEEP_WAIT_SECONDS; round++) {
            for (int i = 0; i < users.size(); i++) {
                TomcatProcess node = (round + i) % 2 == 0 ? a : b;
                assertEquals(3 + round, users.get(i).get(node.url("/count")).field("count"),
                        "the sessions are served throughout");
            }
            if (round >= 3 && (!before.equals(snapshot(outside))
                    || logged(a, shardName, indexName) && logged(b, shardName, indexName))) {
                break;
            }
            Thread.sleep(1000);
        }

        assertEquals(before, snapshot(outside), "no file outside the shared directory was deleted or touched");
        assertTrue(Files.isSymbolicLink(shardLink) && Files.isSymbolicLink(indexLink), "the links are left alone");
        for (TomcatProcess node : n) {
            assertTrue(logged(node, shardName, indexName), () -> "each planted link is logged by the sweep of "
                    + node.base() + ":\n" + node.logTail());
        }
    }

    private static Map<String, Long> snapshot(Path dir) throws Exception {
        Map<String, Long> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                out.put(f.getFileName().toString(), Files.getLastModifiedTime(f).toMillis());
            }
        }
        return out;
    }

    private static boolean logged(TomcatProcess node, String... paths) throws Exception {
        String log = Files.readString(node.base().resolve("logs/console.log"), StandardCharsets.UTF_8);
        for (String p : paths) {
            if (!log.lines().anyMatch(l -> l.contains("Left alone") && l.endsWith(p))) {
                return false;
            }
        }
        return true;
    }
}
