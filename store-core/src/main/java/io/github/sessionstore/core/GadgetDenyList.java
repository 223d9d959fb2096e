package io.github.sessionstore.core;

import java.util.List;
import java.util.Set;

/**
 * Classes that publicly documented deserialization attacks use to run code, reach the network or the file system
 * while an object graph is read: the transformers and invocation handlers of the public exploit tools' gadget chains
 * and the JDK's own risky classes. {@link SessionInputFilter} refuses them under every configuration, with or
 * without an allow-list, before they are instantiated. A class is named exactly or by a package (or class) prefix.
 * <p>
 * This is a floor, not a guarantee: chains through classes not listed here exist and will be found. Only
 * {@code encryptionKeys} keeps bytes the fleet did not write from being deserialized at all.
 */
final class GadgetDenyList {

    /** Whole packages (or a class and its nested classes, by "Name$"). */
    private static final List<String> PREFIXES = List.of(
            // commons-collections 3 and 4: the functors (InvokerTransformer, InstantiateTransformer, ...)
            "org.apache.commons.collections.functors.",
            "org.apache.commons.collections4.functors.",
            // JDK: JMX, RMI, JNDI, scripting, row sets, XSLT translets, XPath objects, bean contexts
            "javax.management.",
            "java.rmi.",
            "sun.rmi.",
            "javax.naming.",
            "com.sun.jndi.",
            "javax.script.",
            "com.sun.rowset.",
            "com.sun.org.apache.xalan.internal.xsltc.",
            "com.sun.org.apache.xpath.internal.objects.",
            "com.sun.org.apache.bcel.internal.util.",
            "com.sun.corba.se.spi.orbutil.proxy.",
            "java.beans.beancontext.",
            // Xalan, BCEL outside the JDK
            "org.apache.xalan.xsltc.",
            "org.apache.xpath.objects.",
            "org.apache.bcel.util.",
            // c3p0, ROME, JSON-lib, Mozilla Rhino, Jython, Clojure, BeanShell
            "com.mchange.v2.c3p0.",
            "com.mchange.v2.naming.",
            "com.sun.syndication.feed.impl.",
            "com.rometools.rome.feed.impl.",
            "net.sf.json.",
            "org.mozilla.javascript.",
            "org.python.core.",
            "clojure.core$",
            "clojure.main$",
            "clojure.inspector.",
            "bsh.",
            // Hibernate's getter-invoking internals, JBoss and Weld interceptors, AspectJ's weaver cache
            "org.hibernate.tuple.",
            "org.hibernate.property.",
            "org.jboss.interceptor.",
            "org.jboss.weld.interceptor.",
            "org.aspectj.weaver.tools.cache.",
            // Oracle's JDBC row set (JNDI lookup on read)
            "oracle.jdbc.rowset.");

    /** Single classes in packages that also hold harmless ones. */
    private static final Set<String> CLASSES = Set.of(
            "org.apache.commons.collections.map.LazyMap",
            "org.apache.commons.collections.map.TransformedMap",
            "org.apache.commons.collections.map.DefaultedMap",
            "org.apache.commons.collections.keyvalue.TiedMapEntry",
            "org.apache.commons.collections.comparators.TransformingComparator",
            "org.apache.commons.collections4.map.LazyMap",
            "org.apache.commons.collections4.map.TransformedMap",
            "org.apache.commons.collections4.map.DefaultedMap",
            "org.apache.commons.collections4.keyvalue.TiedMapEntry",
            "org.apache.commons.collections4.comparators.TransformingComparator",
            "org.apache.commons.beanutils.BeanComparator",
            "org.apache.commons.beanutils2.BeanComparator",
            "org.apache.commons.fileupload.disk.DiskFileItem",
            "org.apache.wicket.util.upload.DiskFileItem",
            "org.apache.click.control.Column$ColumnComparator",
            "org.apache.myfaces.view.facelets.el.ValueExpressionMethodExpression",
            "org.codehaus.groovy.runtime.ConvertedClosure",
            "org.codehaus.groovy.runtime.MethodClosure",
            "org.springframework.beans.factory.support.AutowireUtils$ObjectFactoryDelegatingInvocationHandler",
            "org.springframework.beans.factory.config.ObjectFactoryCreatingFactoryBean$TargetBeanObjectFactory",
            "org.springframework.core.SerializableTypeWrapper$MethodInvokeTypeProvider",
            "org.springframework.aop.framework.JdkDynamicAopProxy",
            "org.springframework.aop.target.HotSwappableTargetSource",
            "org.springframework.aop.support.DefaultBeanFactoryPointcutAdvisor",
            "org.springframework.jndi.support.SimpleJndiBeanFactory",
            "org.springframework.transaction.jta.JtaTransactionManager",
            "org.hibernate.engine.spi.TypedValue",
            "com.vaadin.data.util.NestedMethodProperty",
            "sun.reflect.annotation.AnnotationInvocationHandler",
            "java.net.URL"); // its hashCode resolves the host: the blind DNS probe

    private GadgetDenyList() {
    }

    /** Whether {@code className} (a binary name, not an array) is a known gadget. */
    static boolean denies(String className) {
        if (CLASSES.contains(className)) {
            return true;
        }
        for (String prefix : PREFIXES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
