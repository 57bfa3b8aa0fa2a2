package dev.camelllm.gateway;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.FailedToCreateProducerException;
import org.apache.camel.support.AsyncProcessorSupport;
import org.apache.camel.support.service.ServiceHelper;

/**
 * Sends the exchange to {@code <scheme>:<profile>?<options>} for the profile its ingress chose
 * ({@link GatewayIngress#PROFILE_PROPERTY}). It does what {@code toD} would, with one producer per profile made
 * on the profile's first call and kept until the route stops, but it does not build, parse and normalise an
 * endpoint URI on every request (about 1.5 % of a proxied request's CPU in a profile of the gateway). A profile's
 * producer is made on first use, as {@code toD} makes it, so a profile nobody calls loads no model.
 */
final class ProfileCall extends AsyncProcessorSupport {

    private final CamelContext context;
    private final String scheme;
    private final String options;
    private final Map<String, AsyncProducer> producers = new ConcurrentHashMap<>();

    ProfileCall(CamelContext context, String scheme, String options) {
        this.context = context;
        this.scheme = scheme;
        this.options = options;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        AsyncProducer producer;
        try {
            producer = producer(exchange.getProperty(GatewayIngress.PROFILE_PROPERTY, String.class));
        } catch (RuntimeException e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        return producer.process(exchange, callback);
    }

    private AsyncProducer producer(String profile) {
        AsyncProducer known = producers.get(profile);
        if (known != null) {
            return known;
        }
        // made outside the map's lock: starting a producer may take a while, and two first calls may race
        Endpoint endpoint = context.getEndpoint(scheme + ":" + profile + "?" + options);
        AsyncProducer made;
        try {
            made = endpoint.createAsyncProducer();
        } catch (Exception e) {
            throw new FailedToCreateProducerException(endpoint, e);
        }
        ServiceHelper.startService(made);
        AsyncProducer raced = producers.putIfAbsent(profile, made);
        if (raced != null) {
            ServiceHelper.stopService(made);
            return raced;
        }
        if (!isRunAllowed()) { // the route stopped while this one was made: doStop has already run
            producers.remove(profile, made);
            ServiceHelper.stopService(made);
        }
        return made;
    }

    /** The producers made so far, by profile. */
    Map<String, AsyncProducer> producers() {
        return Map.copyOf(producers);
    }

    @Override
    protected void doStop() {
        ServiceHelper.stopService(producers.values());
        producers.clear();
    }

    @Override
    public String toString() {
        return "ProfileCall[" + scheme + ":${" + GatewayIngress.PROFILE_PROPERTY + "}?" + options + "]";
    }
}
