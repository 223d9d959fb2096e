package io.github.sessionstore.file;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.testkit.ContextXmlTomcat;
import io.github.sessionstore.core.testkit.ServerProcess;
import io.github.sessionstore.core.testkit.StoreAttributes;
import io.github.sessionstore.core.testkit.StoreAttributes.Attr;

/** Every documented attribute of SharedFileStore through a real context.xml; a missing directory fails the start. */
class SharedFileStoreContextXmlTest {

    private static final String STORE = SharedFileStore.class.getName();
    private Path dir;

    @BeforeEach
    void createDirectory() throws Exception {
        dir = Files.createTempDirectory("sessionstore-contextxml-file-");
    }

    @AfterEach
    void deleteDirectory() throws Exception {
        ServerProcess.deleteTree(dir);
    }

    @Test
    void everyAttributeIsTakenFromContextXml() throws Exception {
        StoreAttributes.Common common = StoreAttributes.common();
        List<Attr> own = List.of(Attr.of("directory", dir.resolve("shared").toString()), Attr.of("fsync", "false"),
                Attr.of("fileMode", "660"));
        try (ContextXmlTomcat t = StoreAttributes.assertEveryAttributeTaken(STORE,
                StoreAttributes.concat(common.attributes(), own), common.secrets())) {
            assertTrue(((AbstractSessionStore) t.store()).statistics().isBackendAvailable(), "the store works");
        }
    }

    @Test
    void aFileModeThatOpensTheFilesToOthersFailsTheStart() throws Exception {
        StoreAttributes.assertRefusedAtStart(StoreAttributes.storeElement(STORE,
                List.of(Attr.of("directory", dir.resolve("shared").toString()), Attr.of("fileMode", "666"))),
                "fileMode", null);
    }

    /** The shared directory is not reached over the network by the store: no unsealed-store warning at start. */
    @Test
    void theFileStoreWithoutKeysDoesNotWarnOfTheNetwork() throws Exception {
        try (ContextXmlTomcat t = ContextXmlTomcat.start(ContextXmlTomcat.contextXml(StoreAttributes.storeElement(STORE,
                List.of(Attr.of("directory", dir.resolve("shared").toString())))))) {
            assertTrue(t.contextAvailable());
            assertTrue(t.logLines().stream().noneMatch(l -> l.contains("has no encryptionKeys")), t.logLines()::toString);
        }
    }

    @Test
    void aMissingDirectoryFailsTheStart() throws Exception {
        StoreAttributes.assertRefusedAtStart(StoreAttributes.storeElement(STORE, List.of()), "directory", null);
    }
}
