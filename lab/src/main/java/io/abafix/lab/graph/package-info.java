/**
 * A fake Microsoft Entra ID (token endpoint and a Graph v1.0 subset) on loopback, {@link
 * io.abafix.lab.graph.FakeMicrosoftEntra}, so that the real {@code GraphDirectory} can be tested
 * without a tenant, and {@link io.abafix.lab.graph.TestCertificates} for the identities it checks.
 */
package io.abafix.lab.graph;
