/**
 * The code of docs/guide.md, one class per snippet: each file is shown whole in the guide, so that
 * what a reader copies compiles as shown (a test checks that the guide and these files agree, and
 * an integration test runs each against a real broker).
 */
package io.pulsarrpc.examples.guide;
