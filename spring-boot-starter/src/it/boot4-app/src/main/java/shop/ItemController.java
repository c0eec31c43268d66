package shop;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

@RestController
public class ItemController {
  private final ItemRepository items;
  private final DataSource dataSource;
  private final List<Connection> forgotten = new CopyOnWriteArrayList<>();

  private final Prices prices;

  public ItemController(ItemRepository items, DataSource dataSource, Prices prices) {
    this.items = items;
    this.dataSource = dataSource;
    this.prices = prices;
  }

  @GetMapping("/prices/{id}")
  public String price(@PathVariable long id) {
    return prices.price(id);
  }

  @GetMapping("/items/{id}")
  public Item item(@PathVariable long id) {
    return items.findById(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
  }

  @PostMapping("/items/{id}")
  public Item add(@PathVariable long id) {
    return items.save(new Item(id, "item " + id));
  }

  /** A bug: a connection borrowed for a report and never given back. */
  @GetMapping("/report")
  public String report() throws SQLException {
    Connection c = dataSource.getConnection();
    forgotten.add(c);
    return "report started";
  }
}
