package io.abafix.workflows.audit;

/**
 * A digest with the orchestrator's signature.
 *
 * @param keyId SHA-256 of the signing key's public key (X.509 encoding), hex: which key to verify
 *     with
 * @param algorithm the JCA signature algorithm, {@code Ed25519}
 * @param signature base64 over {@link AuditDigest#canonical()} in UTF-8
 */
public record SignedDigest(AuditDigest digest, String keyId, String algorithm, String signature) {}
