-- Session and lock tables for PostgreSQL 12+ (sessionstore JdbcStore). With createSchema="true" (the default) the
-- store runs this itself; the name tomcat_sessions is replaced by the store's "table" attribute and
-- tomcat_sessions_locks by its "lockTable" attribute (default: the table name + "_locks"). principal: the user a
-- session belongs to (NULL: none), for findSessionIds / expireSessions; a table created without it gets it from
-- schema-principal-postgresql.sql.
CREATE TABLE IF NOT EXISTS tomcat_sessions (
  app          VARCHAR(255) NOT NULL,
  id           VARCHAR(160) NOT NULL,
  data         BYTEA NOT NULL,
  version      BIGINT NOT NULL,
  last_access  BIGINT NOT NULL,
  max_inactive INTEGER NOT NULL,
  expires_at   BIGINT NOT NULL,
  principal    VARCHAR(255),
  CONSTRAINT tomcat_sessions_pk PRIMARY KEY (app, id)
);
CREATE INDEX IF NOT EXISTS tomcat_sessions_expiry_ix ON tomcat_sessions (app, expires_at);
-- Partial: sessions without a principal (NULL) cost the index nothing
CREATE INDEX IF NOT EXISTS tomcat_sessions_principal_ix ON tomcat_sessions (app, principal)
  WHERE principal IS NOT NULL;
-- One row per session locked by the pessimistic locking mode: held by owner until lease_until (epoch ms).
CREATE TABLE IF NOT EXISTS tomcat_sessions_locks (
  app          VARCHAR(255) NOT NULL,
  id           VARCHAR(160) NOT NULL,
  owner        VARCHAR(255) NOT NULL,
  lease_until  BIGINT NOT NULL,
  PRIMARY KEY (app, id)
);
