package io.github.sessionstore.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

import io.github.sessionstore.core.testkit.ContextXmlTomcat;
import io.github.sessionstore.core.testkit.DocContextXml;
import io.github.sessionstore.core.testkit.ServerProcess;

/**
 * docs/cloud.md, "Amazon EFS": the documented context.xml, read from the page, with its mount path replaced by a
 * local temp directory (fsync on, as documented). Not EFS: a local file system stands in for the NFS mount.
 */
@DisabledIfSystemProperty(named = "sessionstore.tomcat.line", matches = "10\\.1",
        disabledReason = "the documented examples run on the newest Tomcat line only")
class CloudDocFileStoreTest {

    private Path dir;

    @BeforeEach
    void createDirectory() throws Exception {
        dir = Files.createTempDirectory("sessionstore-clouddoc-efs-");
    }

    @AfterEach
    void deleteDirectory() {
        ServerProcess.deleteTree(dir);
    }

    @Test
    void theEfsExampleRunsOnALocalDirectory() throws Exception {
        String block = DocContextXml.xmlBlock(DocContextXml.docsFile("cloud.md"), "Amazon EFS (shared directory)", 0);
        Path sessions = dir.resolve("sessions");
        String xml = DocContextXml.replaceOnce(block, "\"/mnt/efs/sessions\"", "\"" + sessions + "\"");
        try (ContextXmlTomcat t = DocContextXml.startClean(DocContextXml.contextXml(xml),
                SharedFileStore.class.getName())) {
            SharedFileStore store = (SharedFileStore) t.store();
            assertTrue(store.getFsync(), "fsync as documented");
            assertEquals("600", store.getFileMode());
            DocContextXml.assertRoundTrip(t);
            assertTrue(Files.isDirectory(sessions), "the store created the documented directory");
        }
    }
}
