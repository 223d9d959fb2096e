package io.github.sessionstore.boot;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code sessionstore.*}: which store the embedded Tomcat's {@code PersistentManager} gets, and its attributes. The
 * attributes are not declared here: each is passed by name to the store's JavaBean setter, as a {@code <Store>}
 * attribute in {@code context.xml} is, so that the store's own defaults and checks apply and nothing is said twice.
 */
@ConfigurationProperties(prefix = "sessionstore")
public class SessionStoreProperties {

    /**
     * The backend: {@code file}, {@code jdbc}, {@code mongodb}, {@code memcached}, {@code redis}, or the class name
     * of a {@code org.apache.catalina.Store} with a public no-argument constructor. Unset: nothing is installed.
     */
    private String store;

    /**
     * The store's attributes, as in {@code <Store … />}: {@code sessionstore.attributes.directory=/mnt/sessions},
     * {@code sessionstore.attributes.operation-timeout=2000}. Names are matched to the store's setters ignoring case,
     * dashes and dots; a name no setter takes, or a value the store refuses, fails the start naming the attribute.
     */
    private Map<String, String> attributes = new LinkedHashMap<>();

    /**
     * Further attributes of the {@code PersistentManager}, as in {@code <Manager … />}
     * ({@code sessionstore.manager.max-idle-backup=…}); a name it has no setter for fails the start.
     */
    private Map<String, String> manager = new LinkedHashMap<>();

    /**
     * The Manager's {@code persistAuthentication}: a container login (Spring Security is not one) is stored with the
     * session and survives a failover. Default false, as in Tomcat.
     */
    private boolean persistAuthentication;

    /**
     * Mark the webapp distributable, as {@code <distributable/>} in web.xml: Tomcat refuses a non-serializable
     * attribute at {@code setAttribute}, where the application sees it, rather than the store at the end of the
     * request. Default true.
     */
    private boolean distributable = true;

    public String getStore() {
        return store;
    }

    public void setStore(String store) {
        this.store = store;
    }

    public Map<String, String> getAttributes() {
        return attributes;
    }

    public void setAttributes(Map<String, String> attributes) {
        this.attributes = attributes;
    }

    public Map<String, String> getManager() {
        return manager;
    }

    public void setManager(Map<String, String> manager) {
        this.manager = manager;
    }

    public boolean isPersistAuthentication() {
        return persistAuthentication;
    }

    public void setPersistAuthentication(boolean persistAuthentication) {
        this.persistAuthentication = persistAuthentication;
    }

    public boolean isDistributable() {
        return distributable;
    }

    public void setDistributable(boolean distributable) {
        this.distributable = distributable;
    }
}
