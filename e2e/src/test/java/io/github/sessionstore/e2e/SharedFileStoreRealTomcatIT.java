package io.github.sessionstore.e2e;

/** store-file-<version>-tomcat.jar on real Tomcat 11 and 10.1 distributions. */
class SharedFileStoreRealTomcatIT extends AbstractRealTomcatIT {

    @Override
    protected StoreFixture newFixture() {
        return new SharedFileStoreFixture();
    }
}
