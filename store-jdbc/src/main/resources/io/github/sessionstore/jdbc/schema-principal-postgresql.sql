-- Adds the principal column and its index to a session table created before them (sessionstore JdbcStore,
-- PostgreSQL). With createSchema="true" the store runs this itself at start when the column is missing; otherwise run
-- it once (replace tomcat_sessions by the store's "table" attribute). Adding a nullable column is instant; the index
-- build blocks writes to the table while it runs (on a large table, run it yourself with CREATE INDEX CONCURRENTLY).
-- Until then findSessionIds / expireSessions are unavailable.
ALTER TABLE tomcat_sessions ADD COLUMN IF NOT EXISTS principal VARCHAR(255);
CREATE INDEX IF NOT EXISTS tomcat_sessions_principal_ix ON tomcat_sessions (app, principal)
  WHERE principal IS NOT NULL;
