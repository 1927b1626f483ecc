/** What both programs need of the process they run in: their environment and side threads. */
package dev.leaderdemo.process;
