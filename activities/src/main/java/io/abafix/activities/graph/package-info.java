/**
 * The {@link io.abafix.activities.port.Directory} implementation on Microsoft Graph: {@link
 * io.abafix.activities.graph.GraphDirectory}, configured by {@link
 * io.abafix.activities.graph.GraphDirectoryConfig}. Everything else in the package supports it and
 * is not API.
 */
package io.abafix.activities.graph;
