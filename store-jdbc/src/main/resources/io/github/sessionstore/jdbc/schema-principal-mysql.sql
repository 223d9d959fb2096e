-- Adds the principal column and its index to a session table created before them (sessionstore JdbcStore, MySQL /
-- MariaDB). With createSchema="true" the store runs this itself at start when the column is missing; otherwise run it
-- once (replace tomcat_sessions by the store's "table" attribute). Both are online operations on InnoDB (a nullable
-- column at the end, a secondary index); until then findSessionIds / expireSessions are unavailable.
ALTER TABLE tomcat_sessions
  ADD COLUMN principal VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
  ADD INDEX tomcat_sessions_principal_ix (app, principal);
