/** Implementation details of the activities module. Not API: may change without notice. */
package io.abafix.activities.internal;
