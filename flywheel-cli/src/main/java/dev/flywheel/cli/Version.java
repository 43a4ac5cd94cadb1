package dev.flywheel.cli;

import picocli.CommandLine.IVersionProvider;

/** Flywheel's version, from the jar's manifest (the Maven project version). */
final class Version implements IVersionProvider {

    static String current() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"Flywheel " + current(), "Java " + Runtime.version()};
    }
}
