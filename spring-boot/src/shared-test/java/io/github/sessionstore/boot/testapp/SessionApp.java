package io.github.sessionstore.boot.testapp;

import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.http.HttpSession;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A tiny application whose sessions the tests follow: an attribute set, and a list changed in place. */
@SpringBootApplication
@RestController
public class SessionApp {

    public static void main(String[] args) {
        SpringApplication.run(SessionApp.class, args);
    }

    @GetMapping("/put")
    public String put(HttpSession session, @RequestParam("key") String key, @RequestParam("value") String value) {
        session.setAttribute(key, value);
        return describe(session);
    }

    /** Adds to the session's list in place, without setAttribute: only write-through's digest sees the change. */
    @GetMapping("/add")
    public String add(HttpSession session, @RequestParam("item") String item) {
        @SuppressWarnings("unchecked")
        List<String> list = (List<String>) session.getAttribute("list");
        if (list == null) {
            list = new ArrayList<>();
            list.add(item);
            session.setAttribute("list", list);
        } else {
            list.add(item);
        }
        return describe(session);
    }

    @GetMapping("/get")
    public String get(HttpSession session) {
        return describe(session);
    }

    private static String describe(HttpSession session) {
        return "id=" + session.getId() + " user=" + session.getAttribute("user") + " list="
                + session.getAttribute("list");
    }
}
