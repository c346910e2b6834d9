package io.abafix.cli;

/**
 * A person who approves whatever a followed run asks, signed in through {@code signer}: the demo's
 * lab users, never a production setting.
 *
 * @param user who signs in (a lab user such as {@code alice@contoso.onmicrosoft.com})
 */
record AutoApprover(String user, DecisionSigner signer) {}
