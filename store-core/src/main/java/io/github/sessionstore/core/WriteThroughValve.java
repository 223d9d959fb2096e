package io.github.sessionstore.core;

import java.io.IOException;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletException;

import org.apache.catalina.Container;
import org.apache.catalina.Context;
import org.apache.catalina.Pipeline;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.session.PersistentManagerBase;
import org.apache.catalina.valves.ValveBase;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;

/**
 * Flushes the request's session to the context's {@link AbstractSessionStore} when the request (or its async cycle)
 * ends, before the thread is released. The store installs this valve itself; declaring it in {@code context.xml} is
 * only needed to control its position in the pipeline.
 */
public class WriteThroughValve extends ValveBase {

    private static final Log log = LogFactory.getLog(WriteThroughValve.class);

    public WriteThroughValve() {
        super(true);
    }

    /** Adds the valve to the context's pipeline unless one is there already (declared by the operator, or added). */
    static void installInto(Context context) {
        Pipeline pipeline = context.getPipeline();
        for (Valve v : pipeline.getValves()) {
            if (v instanceof WriteThroughValve) {
                return;
            }
        }
        pipeline.addValve(new WriteThroughValve());
    }

    private AbstractSessionStore store() {
        Container container = getContainer();
        if (container instanceof Context context && context.getManager() instanceof PersistentManagerBase pm
                && pm.getStore() instanceof AbstractSessionStore store) {
            return store;
        }
        return null;
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        AbstractSessionStore store = store();
        RequestScope scope = store == null ? null : store.requestScope();
        if (scope == null || store.isIgnored(request.getDecodedRequestURI())) {
            getNext().invoke(request, response);
            return;
        }
        scope.begin(request);
        try {
            getNext().invoke(request, response);
        } finally {
            try {
                if (!request.isAsync() || !flushOnAsyncComplete(scope, request)) {
                    scope.end(request);
                }
            } catch (RuntimeException e) {
                // Never surfaces to the user; the session stays in memory and is retried
                log.warn(Messages.text("store.flushFailed", Messages.safeMessage(e)));
            }
        }
    }

    private boolean flushOnAsyncComplete(RequestScope scope, Request request) {
        try {
            request.getAsyncContext().addListener(new AsyncListener() {
                @Override
                public void onComplete(AsyncEvent event) {
                    try {
                        scope.end(request);
                    } catch (RuntimeException e) {
                        log.warn(Messages.text("store.asyncFlushFailed", Messages.safeMessage(e)));
                    }
                }

                @Override
                public void onTimeout(AsyncEvent event) {
                }

                @Override
                public void onError(AsyncEvent event) {
                }

                @Override
                public void onStartAsync(AsyncEvent event) {
                }
            });
            return true;
        } catch (IllegalStateException e) {
            return false; // already completed
        }
    }

    /**
     * Every backgroundProcessorDelay: flushes sessions changed outside any request (stock PersistentManager only) and
     * drops idle local session copies between the manager's expiry runs.
     */
    @Override
    public void backgroundProcess() {
        AbstractSessionStore store = store();
        if (store != null) {
            store.backgroundTick();
        }
    }
}
