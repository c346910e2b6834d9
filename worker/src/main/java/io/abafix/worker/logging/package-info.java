/**
 * What every log line says about where it comes from: the run, tenant, server and step, put in the
 * slf4j MDC around each activity by {@link io.abafix.worker.logging.LogContextInterceptor}; and the
 * two formats (plain text, JSON) the processes choose between with {@link
 * io.abafix.worker.logging.LogFormat}.
 */
package io.abafix.worker.logging;
