-- Session and lock tables for MySQL 8+ / MariaDB 10.5+ (sessionstore JdbcStore). With createSchema="true" (the
-- default) the store runs this itself; the name tomcat_sessions is replaced by the store's "table" attribute and
-- tomcat_sessions_locks by its "lockTable" attribute (default: the table name + "_locks").
-- Binary collations: session ids are case-sensitive. principal: the user a session belongs to (NULL: none), for
-- findSessionIds / expireSessions; a table created without it gets it from schema-principal-mysql.sql.
CREATE TABLE IF NOT EXISTS tomcat_sessions (
  app          VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  id           VARCHAR(160) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  data         LONGBLOB NOT NULL,
  version      BIGINT NOT NULL,
  last_access  BIGINT NOT NULL,
  max_inactive INT NOT NULL,
  expires_at   BIGINT NOT NULL,
  principal    VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
  PRIMARY KEY (app, id),
  INDEX tomcat_sessions_expiry_ix (app, expires_at),
  INDEX tomcat_sessions_principal_ix (app, principal)
) ENGINE=InnoDB ROW_FORMAT=DYNAMIC;
-- One row per session locked by the pessimistic locking mode: held by owner until lease_until (epoch ms).
CREATE TABLE IF NOT EXISTS tomcat_sessions_locks (
  app          VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  id           VARCHAR(160) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  owner        VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  lease_until  BIGINT NOT NULL,
  PRIMARY KEY (app, id)
) ENGINE=InnoDB;
