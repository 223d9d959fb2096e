package io.github.sessionstore.e2e;

/** The operator features of the file store's drop-in jar on the newest real distribution. */
class SharedFileOperatorRealTomcatIT extends OperatorRealTomcatIT {

    @Override
    protected StoreFixture newFixture() {
        return new SharedFileStoreFixture();
    }
}
