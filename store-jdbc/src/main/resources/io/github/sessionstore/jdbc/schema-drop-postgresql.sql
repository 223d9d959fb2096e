DROP TABLE IF EXISTS tomcat_sessions_locks;
DROP TABLE IF EXISTS tomcat_sessions;
