/**
 * A simulated Microsoft Entra tenant and Entra Connect Sync servers that plug in under the
 * production ports. Start at {@link io.abafix.lab.Lab}; scenarios are described in {@code
 * lab/SCENARIOS.md}.
 */
package io.abafix.lab;
