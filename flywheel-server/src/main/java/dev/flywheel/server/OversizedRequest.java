package dev.flywheel.server;

import io.netty.handler.codec.http.HttpVersion;

/** Stands in the pipeline for a request whose body exceeded the limit and was never buffered. */
record OversizedRequest(HttpVersion version) {}
