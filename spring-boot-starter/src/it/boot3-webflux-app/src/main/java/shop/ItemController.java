package shop;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

@RestController
public class ItemController {
  @GetMapping("/items/{id}")
  public Mono<String> item(@PathVariable long id) {
    return id > 100
        ? Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND))
        : Mono.just("item " + id);
  }

  @GetMapping("/fail")
  public Mono<String> fail() {
    return Mono.error(new IllegalStateException("the shop failed"));
  }
}
