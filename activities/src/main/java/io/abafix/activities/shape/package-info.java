/**
 * What the shipped PowerShell scripts return, and the rules that give it a meaning.
 *
 * <p>The scripts decide nothing: each read returns what a cmdlet returned, as {@link RawObject}s
 * (type names and every property). The interpreters here ({@link ServerStateShape}, {@link
 * EventShape}, {@link SignInShape}, {@link ErrorRules}) turn those shapes into abafix's model with
 * explicit rules, tested against recorded fixtures. A shape no rule recognises is a {@link
 * ShapeException}: a permanent failure that names the properties it saw and what it expected.
 */
package io.abafix.activities.shape;
