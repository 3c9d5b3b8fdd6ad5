"""Rules of Lambda's Java runtimes (java17, java21, java25): the JVM's options, the JDK to run on, the handler
string, the function's class path and its project layout. Pure: nothing here starts a process."""
