/* CloudKart storefront: one controller per page, plus the header. */
(function () {
  'use strict';

  var shop = angular.module('cloudkart');

  function loginUrl(next) {
    return '/login?next=' + encodeURIComponent(next);
  }

  shop.controller('HeaderCtrl', ['$location', 'api', 'session', 'cart', 'notice',
    function ($location, api, session, cart, notice) {
      var header = this;
      header.user = session.user;
      header.count = cart.count;
      header.notice = notice.state;
      header.logout = function () {
        // Forget the session locally even if the server cannot be told: the shopper asked to leave.
        api.logout(session.id()).catch(angular.noop);
        session.clear();
        cart.forget();
        $location.url('/');
      };
    }]);

  shop.controller('CatalogueCtrl', ['$location', 'api', 'cart', 'session', 'notice', 'pending', 'apiError',
    function ($location, api, cart, session, notice, pending, apiError) {
      var vm = this;
      var wanted = $location.search();
      vm.q = wanted.q || '';
      vm.category = wanted.category || '';
      vm.categories = [];
      vm.products = null;
      vm.adding = {};

      api.categories().then(function (names) {
        vm.categories = names;
      }, function (rejection) {
        vm.error = apiError(rejection, 'catalogue');
      });

      // The filter lives in the address (?q=&category=) so a search can be shared or bookmarked.
      // Only the latest search may fill the grid: answers can arrive out of order while typing.
      var latest = 0;
      vm.load = function () {
        $location.search({q: vm.q || null, category: vm.category || null}).replace();
        var filter = {q: vm.q || undefined, category: vm.category || undefined};
        var asked = ++latest;
        pending(vm, 'catalogue', api.products(filter), function (products) {
          if (asked === latest) {
            vm.products = products;
          }
        });
      };
      vm.pick = function (category) {
        vm.category = category;
        vm.load();
      };
      vm.clear = function () {
        vm.q = '';
        vm.category = '';
        vm.load();
      };
      vm.add = function (product) {
        if (!session.id()) {
          $location.url(loginUrl('/'));
          return;
        }
        vm.adding[product.sku] = true;
        cart.add(product.sku, 1).then(function () {
          notice.show(product.name + ' is in your cart');
        }, function (rejection) {
          vm.error = apiError(rejection, 'cart');
        }).finally(function () {
          vm.adding[product.sku] = false;
        });
      };
      vm.load();
    }]);

  shop.controller('ProductCtrl', ['$rootScope', '$location', '$routeParams', 'api', 'cart', 'session', 'notice', 'pending',
    function ($rootScope, $location, $routeParams, api, cart, session, notice, pending) {
      var vm = this;
      vm.qty = 1;
      pending(vm, 'catalogue', api.product($routeParams.sku), function (product) {
        vm.product = product;
        $rootScope.pageTitle = product.name;
      });
      vm.add = function () {
        if (!session.id()) {
          $location.url(loginUrl($location.path()));
          return;
        }
        pending(vm, 'cart', cart.add(vm.product.sku, vm.qty), function () {
          notice.show(vm.product.name + ' is in your cart');
        });
      };
    }]);

  shop.controller('LoginCtrl', ['$location', 'api', 'session', 'cart', 'pending',
    function ($location, api, session, cart, pending) {
      var vm = this;
      var wanted = $location.search();
      var MESSAGES = {
        registered: 'Your account is ready. Log in to start shopping.',
        expired: 'Your session has ended. Please log in again.',
        login: 'Please log in to continue.'
      };
      vm.info = MESSAGES[wanted.reason] || '';
      vm.form = {username: wanted.username || '', password: ''};
      vm.submit = function () {
        pending(vm, 'login', api.login(vm.form), function (answer) {
          session.save(answer.sessionId, answer.user);
          cart.refresh().catch(angular.noop);
          // Only paths inside the shop: `next` comes from the address bar.
          var next = wanted.next && wanted.next.charAt(0) === '/' ? wanted.next : '/';
          $location.url(next);
        });
      };
    }]);

  shop.controller('RegisterCtrl', ['$location', 'api', 'pending', function ($location, api, pending) {
    var vm = this;
    vm.form = {username: '', email: '', password: ''};
    vm.submit = function () {
      pending(vm, 'account', api.register(vm.form), function () {
        $location.url('/login').search({reason: 'registered', username: vm.form.username});
      });
    };
  }]);

  shop.controller('CartCtrl', ['cart', 'pending', function (cart, pending) {
    var vm = this;
    vm.state = cart.state;
    vm.count = cart.count;
    pending(vm, 'cart', cart.refresh());
    vm.setQty = function (item, qty) {
      pending(vm, 'cart', cart.update(item.sku, qty));
    };
    vm.remove = function (item) {
      vm.setQty(item, 0);
    };
  }]);

  shop.controller('CheckoutCtrl', ['$location', 'api', 'cart', 'session', 'orders', 'pending', 'apiError',
    function ($location, api, cart, session, orders, pending, apiError) {
      var vm = this;
      vm.state = cart.state;
      vm.countries = [];
      vm.country = '';
      vm.cityQuery = '';
      vm.matches = [];
      vm.city = null;

      pending(vm, 'cart', cart.refresh(), function (current) {
        if (!current || !current.items.length) {
          $location.url('/cart');
        }
      });
      api.countries().then(function (countries) {
        vm.countries = countries;
      }, function (rejection) {
        vm.error = apiError(rejection, 'shipping');
      });

      vm.changeCountry = function () {
        vm.cityQuery = '';
        vm.matches = [];
        vm.city = null;
      };
      // Called after the input's debounce; an answer to an older prefix is dropped.
      vm.searchCities = function () {
        vm.city = null;
        var prefix = (vm.cityQuery || '').trim();
        if (!vm.country || !prefix) {
          vm.matches = [];
          return;
        }
        vm.searching = true;
        api.matchCities(vm.country, prefix).then(function (matches) {
          if (prefix === (vm.cityQuery || '').trim()) {
            vm.matches = matches;
            vm.noMatch = !matches.length;
          }
        }, function (rejection) {
          vm.error = apiError(rejection, 'shipping');
        }).finally(function () {
          vm.searching = false;
        });
      };
      vm.chooseCity = function (city) {
        vm.city = city;
        vm.cityQuery = city.name;
        vm.matches = [];
        pending(vm, 'shipping', cart.ship(city.uuid));
      };
      vm.canPay = function () {
        return Boolean(!vm.busy && vm.state.cart && vm.state.cart.items.length && vm.state.cart.shipping);
      };
      vm.pay = function () {
        if (!vm.canPay()) {
          return;
        }
        pending(vm, 'payment', api.pay(session.id()), function (order) {
          orders.remember(order);
          cart.forget();
          $location.url('/order/' + encodeURIComponent(order.orderid));
        });
      };
    }]);

  shop.controller('OrderCtrl', ['$routeParams', 'orders', function ($routeParams, orders) {
    var vm = this;
    vm.orderid = $routeParams.orderid;
    vm.order = orders.find(vm.orderid);
  }]);
})();
