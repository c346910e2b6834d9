/**
 * The lab's identity provider for people: lab users, the tenant's signing keys, and ID tokens
 * signed the way Entra ID signs them, served by {@link io.abafix.lab.graph.FakeMicrosoftEntra}.
 */
package io.abafix.lab.signin;
