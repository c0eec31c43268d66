package shop;

import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

/** Prices, cached by item: the shop's Spring cache. */
@Service
public class Prices {
  @Cacheable("prices")
  public String price(long id) {
    return "price of " + id + ": " + (id * 3 + 1) + " EUR";
  }
}
