package com.example.orders;

import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

@RestController
public class OrderController {
  private final JdbcTemplate jdbc;

  public OrderController(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @GetMapping("/orders/{code}")
  public Map<String, Object> order(@PathVariable String code) {
    List<Map<String, Object>> rows =
        jdbc.queryForList("SELECT code, item, quantity FROM orders WHERE code = ?", code);
    if (rows.isEmpty()) {
      throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no order " + code);
    }
    return rows.get(0);
  }

  @GetMapping("/orders/{code}/invoice")
  public Map<String, Object> invoice(@PathVariable String code) {
    throw new IllegalStateException("the invoicing service is down");
  }
}
