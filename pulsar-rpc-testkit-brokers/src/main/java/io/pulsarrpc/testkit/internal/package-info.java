/**
 * Implementation details of the testkit that must be public for technical reasons (a child JVM's
 * main class). Not API: may change in any release.
 */
package io.pulsarrpc.testkit.internal;
