/**
 * What the graph network model says about the cluster's network, as the rest of the system sees it: a
 * {@link dev.coxswain.core.network.NetworkBoard} per scored snapshot, with each job's predicted communication time,
 * the link that bounds it and what would help. Plain values: no model, no engine.
 */
package dev.coxswain.core.network;
