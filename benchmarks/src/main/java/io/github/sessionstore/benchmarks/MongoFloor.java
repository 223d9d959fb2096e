package io.github.sessionstore.benchmarks;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Updates.set;

import org.bson.Document;
import org.bson.types.Binary;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.ReplaceOptions;

/** Floor for MONGODB: the sync driver's {@code replaceOne} (upsert) of the same bytes, {@code find}, {@code updateOne}. */
final class MongoFloor implements Floor {

    private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);

    private final MongoClient client;
    private final MongoCollection<Document> docs;

    MongoFloor(String uri) {
        client = MongoClients.create(uri);
        docs = client.getDatabase("bench_floor").getCollection("floor");
    }

    @Override
    public void write(String key, byte[] bytes, long expiresAt) {
        docs.replaceOne(eq("_id", key), new Document("_id", key).append("data", new Binary(bytes))
                .append("expiresAt", expiresAt), UPSERT);
    }

    @Override
    public byte[] read(String key) {
        Document d = docs.find(eq("_id", key)).first();
        return d == null ? null : d.get("data", Binary.class).getData();
    }

    @Override
    public void touch(String key, long expiresAt) {
        docs.updateOne(eq("_id", key), set("expiresAt", expiresAt));
    }

    @Override
    public void close() {
        client.close();
    }
}
