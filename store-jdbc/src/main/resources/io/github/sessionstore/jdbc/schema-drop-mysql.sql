DROP TABLE IF EXISTS tomcat_sessions;
