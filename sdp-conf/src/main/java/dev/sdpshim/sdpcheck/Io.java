package dev.sdpshim.sdpcheck;

import java.io.InputStream;
import java.io.PrintStream;

/** The standard streams of one run; stdout carries results only, stderr everything else. */
record Io(InputStream in, PrintStream out, PrintStream err) {}
