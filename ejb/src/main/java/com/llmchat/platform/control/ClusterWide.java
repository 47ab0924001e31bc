package com.llmchat.platform.control;

import java.io.Serializable;

/**
 * A change every server of a cluster must hear of (what it keeps in memory depends on it): fired as
 * an event here, it is fired on the other servers too once its transaction committed ({@link
 * Cluster}), qualified {@link FromAnotherServer} there.
 */
public interface ClusterWide extends Serializable {}
